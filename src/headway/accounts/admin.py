from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from headway.accounts.models import ApiToken, Membership, User, Workspace


@admin.register(User)
class HeadwayUserAdmin(UserAdmin):
    pass


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created"]
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created", "last_used"]
    readonly_fields = ["digest", "prefix"]
