from django.contrib import admin

from hoso.organizations.models import Unit, UnitLink


class UnitLinkInline(admin.TabularInline):
    model = UnitLink
    fk_name = "child"
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "school_type", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "school_type"]
    search_fields = ["code", "name"]
    inlines = [UnitLinkInline]
