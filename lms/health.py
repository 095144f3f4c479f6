"""The health check a load balancer asks every couple of seconds (docs/deployment.md).

GET /healthz/ answers 200 when this web node can reach its database and 503 when it cannot, so
the balancer stops sending pupils to a node that would only show them errors. It is cheap (one
`SELECT 1` on the connection the node keeps anyway), needs no login, reads no session and sets
no cookie, and never says more than "ok" or "unavailable": no versions, no hosts, no errors.

The cache is not asked: pages are still served (slower) while Redis is away, and a cache that is
down for every node would take them all out of the balancer at once."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("lms.health")


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("Health check: the database is unavailable", exc_info=True)
        connection.close_if_unusable_or_obsolete()  # the next check opens a fresh one
        return False
    return True


@never_cache
@require_safe  # GET and HEAD (HAProxy's and nginx's checks use either)
def healthz(request: HttpRequest) -> HttpResponse:
    if database_ok():
        return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    return HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
