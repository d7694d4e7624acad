from django.contrib import admin

from headway.products.models import Competitor, Persona, Product

admin.site.register([Product, Persona, Competitor])
