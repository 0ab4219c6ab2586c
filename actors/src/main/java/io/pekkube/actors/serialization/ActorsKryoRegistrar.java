package io.pekkube.actors.serialization;

import io.pekkube.actors.api.ApiError;
import io.pekkube.actors.api.ObjectKey;
import io.pekkube.actors.api.ResourceType;
import io.pekkube.actors.gateway.ApiGateway;
import io.pekkube.actors.pods.PodBoundNotice;
import io.pekkube.actors.resources.ObjectFilter;
import io.pekkube.actors.resources.ObjectWrites;
import io.pekkube.actors.resources.ResourceEntity;
import io.pekkube.actors.resources.ResourceHub;
import io.pekkube.persistence.serialization.KryoRegistrar;

/**
 * Fixed Kryo ids of every message and event of the control plane's actors. Ids are part of the
 * journal format: never reuse or renumber one; add new classes with new ids.
 */
public final class ActorsKryoRegistrar implements KryoRegistrar {

  @Override
  public void register(KryoRegistrar.Registrations r) {
    // API model: 1000-1049
    r.register(ObjectKey.class, 1000);
    r.register(ResourceType.class, 1001);
    r.register(ResourceType.NameRule.class, 1002);
    r.register(ApiError.class, 1003);
    r.register(ApiError.Details.class, 1004);
    r.register(ApiError.Cause.class, 1005);
    r.register(ObjectWrites.ChangeKind.class, 1006);
    r.register(ObjectFilter.class, 1007);

    // Resource entity: 1050-1099 (events 1050-1069 are journal format)
    r.register(ResourceEntity.State.class, 1050);
    r.register(ResourceEntity.ObjectCreated.class, 1051);
    r.register(ResourceEntity.ObjectUpdated.class, 1052);
    r.register(ResourceEntity.DeletionMarked.class, 1053);
    r.register(ResourceEntity.ObjectDeleted.class, 1054);
    r.register(ResourceEntity.RevisionFenced.class, 1055);
    r.register(ResourceEntity.Write.class, 1070);
    r.register(ResourceEntity.Get.class, 1071);
    r.register(ResourceEntity.ResolveRevision.class, 1072);
    r.register(ResourceEntity.CreateOp.class, 1073);
    r.register(ResourceEntity.UpdateOp.class, 1074);
    r.register(ResourceEntity.DeleteOp.class, 1075);
    r.register(ResourceEntity.Written.class, 1076);
    r.register(ResourceEntity.NotChanged.class, 1077);
    r.register(ResourceEntity.Rejected.class, 1078);
    r.register(ResourceEntity.RetryWithNewRevision.class, 1079);
    r.register(ResourceEntity.GetResult.class, 1080);
    r.register(ResourceEntity.BindOp.class, 1081);

    // Resource hub: 1100-1149 (events 1100-1109 are journal format)
    r.register(ResourceHub.State.class, 1100);
    r.register(ResourceHub.RevisionsReserved.class, 1101);
    r.register(ResourceHub.Allocate.class, 1110);
    r.register(ResourceHub.Allocated.class, 1111);
    r.register(ResourceHub.Committed.class, 1112);
    r.register(ResourceHub.Aborted.class, 1113);
    r.register(ResourceHub.ListObjects.class, 1114);
    r.register(ResourceHub.Listed.class, 1115);
    r.register(ResourceHub.ListFailed.class, 1116);
    r.register(ResourceHub.Subscribe.class, 1117);
    r.register(ResourceHub.Unsubscribe.class, 1118);
    r.register(ResourceHub.Change.class, 1119);
    r.register(ResourceHub.Bookmark.class, 1120);
    r.register(ResourceHub.WatchFailed.class, 1121);
    r.register(ResourceHub.GetStatus.class, 1122);
    r.register(ResourceHub.HubStatus.class, 1123);
    r.register(ResourceHub.Subscribed.class, 1124);

    // Gateway: 1150-1169
    r.register(ApiGateway.Submit.class, 1150);

    // Scheduler → kubelet: 1170-1179
    r.register(PodBoundNotice.class, 1170);
  }
}
