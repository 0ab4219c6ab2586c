package io.pekkube.http.tables;

import static io.pekkube.http.tables.Cells.age;
import static io.pekkube.http.tables.Cells.integer;
import static io.pekkube.http.tables.Cells.name;
import static io.pekkube.http.tables.Cells.present;
import static io.pekkube.http.tables.Cells.row;
import static io.pekkube.http.tables.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Printers of batch/v1: Jobs and CronJobs. */
final class BatchPrinters {
  private BatchPrinters() {}

  static Map<String, Printer> all() {
    return Map.of("jobs.batch", job(), "cronjobs.batch", cronJob());
  }

  static Printer job() {
    return Printer.of((o, now) -> {
          JsonNode podSpec = AppsPrinters.podSpec(o);
          return row(name(o), jobStatus(o), completions(o), duration(o, now), age(o, now),
              Cells.containers(podSpec), Cells.images(podSpec), Cells.formatSelector(o.path("spec").path("selector")));
        },
        Column.nameColumn(),
        Column.text("Status", "Status of the job."),
        Column.text("Completions", "The number of pods which reached phase Succeeded."),
        Column.text("Duration", "Time required to complete the job."),
        Column.ageColumn(),
        Column.text("Containers", Column.CONTAINERS_DOC).wide(),
        Column.text("Images", Column.IMAGES_DOC).wide(),
        Column.text("Selector", "A label query over pods that should match the pod count.").wide());
  }

  static String jobStatus(JsonNode job) {
    if (condition(job, "Complete")) {
      return "Complete";
    } else if (condition(job, "Failed")) {
      return "Failed";
    } else if (present(job, "metadata", "deletionTimestamp")) {
      return "Terminating";
    } else if (condition(job, "Suspended")) {
      return "Suspended";
    } else if (condition(job, "FailureTarget")) {
      return "FailureTarget";
    } else if (condition(job, "SuccessCriteriaMet")) {
      return "SuccessCriteriaMet";
    }
    return "Running";
  }

  private static boolean condition(JsonNode job, String type) {
    for (JsonNode c : job.path("status").path("conditions")) {
      if (text(c, "type").equals(type) && text(c, "status").equals("True")) {
        return true;
      }
    }
    return false;
  }

  static String completions(JsonNode job) {
    long succeeded = integer(job, "status", "succeeded");
    if (present(job, "spec", "completions")) {
      return succeeded + "/" + integer(job, "spec", "completions");
    }
    long parallelism = integer(job, "spec", "parallelism");
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  private static String duration(JsonNode job, Instant now) {
    String start = text(job, "status", "startTime");
    if (start.isEmpty()) {
      return "";
    }
    String end = text(job, "status", "completionTime");
    Instant until = end.isEmpty() ? now : Instant.parse(end);
    return HumanDuration.format(Duration.between(Instant.parse(start), until));
  }

  static Printer cronJob() {
    return Printer.of((o, now) -> {
          JsonNode spec = o.path("spec");
          JsonNode jobSpec = spec.path("jobTemplate").path("spec");
          JsonNode podSpec = jobSpec.path("template").path("spec");
          String last = text(o, "status", "lastScheduleTime");
          return row(name(o), text(spec, "schedule"), Cells.orNone(text(spec, "timeZone")),
              spec.path("suspend").asBoolean(false) ? "True" : "False",
              Cells.size(o.path("status").path("active")),
              last.isEmpty() ? Cells.NONE : Cells.since(last, now), age(o, now),
              Cells.containers(podSpec), Cells.images(podSpec), Cells.formatSelector(jobSpec.path("selector")));
        },
        Column.nameColumn(),
        Column.text("Schedule", "The schedule in Cron format."),
        Column.text("Timezone", "The time zone name for the given schedule."),
        Column.bool("Suspend", "This flag tells the controller to suspend subsequent executions."),
        Column.integer("Active", "A list of pointers to currently running jobs."),
        Column.text("Last Schedule", "Information when was the last time the job was successfully scheduled."),
        Column.ageColumn(),
        Column.text("Containers", Column.CONTAINERS_DOC).wide(),
        Column.text("Images", Column.IMAGES_DOC).wide(),
        Column.text("Selector", "A label query over pods that should match the pod count.").wide());
  }
}
