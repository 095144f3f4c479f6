"""Keep cached renderings true: a picture, rendition or document saved or deleted moves the
body cache's media generation (cms.body_cache), so no cached body shows an old title, file or
size; the cached sites (cms.sites) are dropped when a site or a root-level page changes; and
the anonymous pages kept whole (cms.public_cache) are dropped when a page, a view restriction,
a site or a picture or document changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.body_cache import bump_media_generation
from cms.public_cache import bump_generation as bump_public_generation
from cms.sites import forget_sites, forget_sites_for_page


def connect() -> None:
    image_model = get_image_model()
    for model in (image_model, get_document_model()):
        post_save.connect(bump_media_generation, sender=model, dispatch_uid=f"body-{model}")
        post_delete.connect(bump_media_generation, sender=model, dispatch_uid=f"body-d-{model}")
    # A new rendition changes no body already rendered (it is made while rendering one); a
    # deleted one may have been in a fragment.
    rendition = image_model.get_rendition_model()
    post_delete.connect(bump_media_generation, sender=rendition, dispatch_uid="body-rendition")
    for model in (image_model, get_document_model(), Site, PageViewRestriction):
        post_save.connect(bump_public_generation, sender=model, dispatch_uid=f"public-{model}")
        post_delete.connect(bump_public_generation, sender=model, dispatch_uid=f"public-d-{model}")
    post_delete.connect(bump_public_generation, sender=rendition, dispatch_uid="public-rendition")
    page_published.connect(bump_public_generation, dispatch_uid="public-published")
    page_unpublished.connect(bump_public_generation, dispatch_uid="public-unpublished")
    post_page_move.connect(bump_public_generation, dispatch_uid="public-moved")
    post_save.connect(forget_sites, sender=Site, dispatch_uid="sites-saved")
    post_delete.connect(forget_sites, sender=Site, dispatch_uid="sites-deleted")
    post_page_move.connect(forget_sites, dispatch_uid="sites-page-moved")  # rare: drop all
    post_delete.connect(_page_saved, dispatch_uid="sites-page-deleted")
    # Every page type: post_save is sent with the concrete class as sender.
    post_save.connect(_page_saved, dispatch_uid="sites-page-saved")


def _page_saved(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        forget_sites_for_page(instance=instance)
        bump_public_generation()
