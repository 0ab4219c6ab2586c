package io.pekkube.actors.resources;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Tuning of the revision hubs, read from {@code pekkube.hub} in one place.
 *
 * @param revisionBlock how many revisions one persisted reservation covers
 * @param windowSize    how many released changes are kept for watch resume and consistent paging;
 *                      an older revision answers 410 Gone
 * @param resolveAfter  how long an allocated revision may stay unreported before the hub asks its entity
 * @param listWait      how long a LIST waits for earlier writes to become visible before 504
 * @param bookmarkEvery how often watches that allow bookmarks get one
 * @param tick          the hub's housekeeping period
 */
public record HubSettings(long revisionBlock, int windowSize, Duration resolveAfter, Duration listWait,
    Duration bookmarkEvery, Duration tick) {

  public static HubSettings from(Config config) {
    Config c = config.getConfig("pekkube.hub");
    return new HubSettings(
        c.getLong("revision-block"),
        c.getInt("window-size"),
        c.getDuration("resolve-after"),
        c.getDuration("list-wait"),
        c.getDuration("bookmark-every"),
        c.getDuration("tick"));
  }
}
