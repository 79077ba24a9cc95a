"""What the apps' API viewsets share: the path parameters that are numbers, the schema of a
resource (its list, one of it, creating and changing one), and the bases of a resource that
is listed, read, created and changed, with anonymous people's list from the page cache."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from hackathon.pagecache import CachedAnonymousListMixin


def path_number(name: str) -> OpenApiParameter:
    """The path parameter `name`, a whole number (a primary key, a challenge's number)."""
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH)


ID_PARAMETER = path_number("id")


def resource_schema(
    *,
    filters,
    listed: str,
    one: str,
    create: dict,
    partial_update: dict | None = None,
):
    """extend_schema_view of a resource: `list` (summary `listed`, its query parameters the
    serializer `filters`), `retrieve` by `id` (summary `one`), and `create` and
    `partial_update` (extend_schema's arguments; the latter by `id`, where there is one)."""
    views = {
        "list": extend_schema(summary=listed, parameters=[filters]),
        "retrieve": extend_schema(summary=one, parameters=[ID_PARAMETER]),
        "create": extend_schema(**create),
    }
    if partial_update is not None:
        views["partial_update"] = extend_schema(parameters=[ID_PARAMETER], **partial_update)
    return extend_schema_view(**views)


# A resource one lists, reads one of, creates and changes; anonymous people's list comes from
# the page cache until one of the subclass's `page_cache_scopes` changes. No docstring: the
# schema describes a viewset without one by the first docstring of its bases, and that stays
# the page cache's, as it was before these bases were gathered here.
class CachedEditableViewSet(
    CachedAnonymousListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    pass
