"""Route dependencies for every `/projects/{project_id}/...` route: see it, edit it, lead it.

A project the user may not see is a 404 (it does not exist, for them) and an audit row; a
project they may see but not change is a 403, also audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from app.deps import CurrentUser, DbSession, RowId
from app.services import audit
from app.services.projects.access import ProjectAccess, project_access


def _refuse(request: Request, db: DbSession, user: CurrentUser, status: int) -> HTTPException:
    audit.refused(db, user, f"{request.method} {request.url.path}", status)
    return HTTPException(status_code=status)


def seen_project(
    request: Request, project_id: RowId, user: CurrentUser, db: DbSession
) -> ProjectAccess:
    found = project_access(db, user, project_id)
    if found is None:
        raise _refuse(request, db, user, 404)
    return found


ProjectSeen = Annotated[ProjectAccess, Depends(seen_project)]


def _requiring(may: Callable[[ProjectAccess], bool]) -> Callable[..., ProjectAccess]:
    """A dependency: the project as seen, when `may` allows this user; else 403, audited."""

    def check(
        request: Request, access: ProjectSeen, user: CurrentUser, db: DbSession
    ) -> ProjectAccess:
        if not may(access):
            raise _refuse(request, db, user, 403)
        return access

    return check


edited_project = _requiring(lambda access: access.can_edit)
led_project = _requiring(lambda access: access.is_lead)
attested_project = _requiring(lambda access: access.can_attest)

ProjectEdit = Annotated[ProjectAccess, Depends(edited_project)]
ProjectLead = Annotated[ProjectAccess, Depends(led_project)]
ProjectAttest = Annotated[ProjectAccess, Depends(attested_project)]
