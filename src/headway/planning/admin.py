from django.contrib import admin

from headway.planning.models import Feature, Story, Team

admin.site.register([Feature, Story, Team])
