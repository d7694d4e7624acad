from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "headway.interchange"
    label = "interchange"
