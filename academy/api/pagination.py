"""Page-number pagination with a bounded page size and a stable order (by id)."""

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class _PageParameters(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(min_value=1, max_value=200, required=False)


class Pagination(PageNumberPagination):
    """``?page=2&page_size=100`` (1 to 200 per page, 50 by default).

    Answers ``count``, ``next``, ``previous``, ``results``. A malformed ``page`` or ``page_size``
    is a 400 problem naming it; a page past the end is a 404.
    """

    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        reader = _PageParameters(
            data={key: params[key] for key in (self.page_query_param, self.page_size_query_param) if key in params}
        )
        reader.is_valid(raise_exception=True)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
