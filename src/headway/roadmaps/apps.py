from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "headway.roadmaps"
    label = "roadmaps"
