from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "headway.products"
    label = "products"
