from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "headway.releases"
    label = "releases"
