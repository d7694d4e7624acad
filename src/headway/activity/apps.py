from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "headway.activity"
    label = "activity"

    def ready(self) -> None:
        from headway.activity import audit, notify
        from headway.core.changes import record_changed

        # The audit history first, then who hears about the change.
        record_changed.connect(audit.record, dispatch_uid="headway.activity.audit")
        record_changed.connect(notify.on_record_changed, dispatch_uid="headway.activity.notify")
