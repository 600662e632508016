"""The audit log in the admin: filter and read, never add, change or delete.

django-otp's device admins are taken away: they would show an administrator a user's secret
key as a QR code. A lost phone is handled on the user page ("Tweestapsverificatie resetten").
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from monitor.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("time", "actor", "role", "action", "object_type", "object_id", "result")
    list_filter = ("action", "result", "role", ("time", admin.DateFieldListFilter))
    search_fields = ("actor", "object_id", "request_id", "client_ip")
    date_hierarchy = "time"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
