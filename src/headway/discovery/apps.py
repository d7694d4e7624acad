from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "headway.discovery"
    label = "discovery"
