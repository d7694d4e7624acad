from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "headway.activity"
    label = "activity"

    def ready(self) -> None:
        from headway.activity import audit
        from headway.core.changes import record_changed

        record_changed.connect(audit.record, dispatch_uid="headway.activity.audit")
