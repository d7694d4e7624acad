from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "headway.interchange"
    label = "interchange"

    def ready(self) -> None:
        from headway.core.changes import record_changed
        from headway.interchange import webhooks

        record_changed.connect(
            webhooks.on_record_changed, dispatch_uid="headway.interchange.webhooks"
        )
