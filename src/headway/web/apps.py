from django.apps import AppConfig
from django.core.signals import request_finished


class WebConfig(AppConfig):
    name = "headway.web"
    label = "web"

    def ready(self) -> None:
        from headway.core.gcfreeze import freeze_after_warm_up

        request_finished.connect(freeze_after_warm_up, dispatch_uid="headway-gc-freeze")
