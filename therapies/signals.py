"""A product's stage follows from its approvals: refreshed whenever one of them, or one of
their events, is saved or deleted, or their regulator is published or unpublished, through
whichever door (admin, API, loader, revert)."""

from django.db.models.signals import post_delete, post_save

from therapies.models import Approval, ApprovalEvent, refresh_stages, regulator_model


def _approval_changed(sender, instance, **kwargs):
    refresh_stages([instance.therapy_id])


def _event_changed(sender, instance, **kwargs):
    therapy_id = Approval._base_manager.filter(pk=instance.approval_id).values_list("therapy_id", flat=True).first()
    if therapy_id is not None:
        refresh_stages([therapy_id])


def _regulator_changed(sender, instance, **kwargs):
    if instance.is_regulator:
        refresh_stages(Approval._base_manager.filter(regulator=instance).values_list("therapy_id", flat=True))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_approval_changed, sender=Approval, dispatch_uid=f"stage-approval-{signal}")
        signal.connect(_event_changed, sender=ApprovalEvent, dispatch_uid=f"stage-event-{signal}")
    post_save.connect(_regulator_changed, sender=regulator_model(), dispatch_uid="stage-regulator")
