"""JSON endpoints of the accounts domain: parse, call the service, shape the response."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from assay.accounts import repository, service
from assay.accounts.permissions import Permission
from assay.accounts.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    InvitationCreate,
    InvitationOut,
    MemberOut,
    MemberUpdate,
    OrganizationOut,
    SignupCreate,
    SignupOut,
)
from assay.errors import NotFound
from assay.web.deps import ApiPrincipal, DbSession, Page
from assay.web.schemas import PageOut, page_of

public = APIRouter(tags=["accounts"])
router = APIRouter(tags=["accounts"])


@public.post("/signup", status_code=status.HTTP_201_CREATED, response_model=SignupOut)
def signup(body: SignupCreate, session: DbSession) -> SignupOut:
    """Create an organization and its owner."""
    organization, user = service.signup(
        session,
        organization_name=body.organization_name,
        name=body.name,
        email=body.email,
        password=body.password,
    )
    return SignupOut(
        organization=OrganizationOut.model_validate(organization),
        user=MemberOut.model_validate(user),
    )


@router.get("/organization", response_model=OrganizationOut)
def get_organization(principal: ApiPrincipal, session: DbSession) -> OrganizationOut:
    principal.require(Permission.VIEW_ORGANIZATION)
    organization = repository.get_organization(session, principal.organization_id)
    if organization is None:
        raise NotFound("Your organization no longer exists.")
    return OrganizationOut.model_validate(organization)


@router.get("/members", response_model=PageOut[MemberOut])
def list_members(principal: ApiPrincipal, session: DbSession, page: Page) -> PageOut[MemberOut]:
    principal.require(Permission.VIEW_TEAM)
    rows = repository.list_users(session, organization_id=principal.organization_id, page=page)
    return page_of(rows, page, MemberOut.model_validate)


@router.get("/members/{member_id}", response_model=MemberOut)
def get_member(member_id: uuid.UUID, principal: ApiPrincipal, session: DbSession) -> MemberOut:
    return MemberOut.model_validate(
        service.get_member_or_raise(session, principal=principal, user_id=member_id)
    )


@router.patch("/members/{member_id}", response_model=MemberOut)
def update_member(
    member_id: uuid.UUID, body: MemberUpdate, principal: ApiPrincipal, session: DbSession
) -> MemberOut:
    user = service.change_role(session, principal=principal, user_id=member_id, role=body.role)
    return MemberOut.model_validate(user)


@router.delete("/members/{member_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(member_id: uuid.UUID, principal: ApiPrincipal, session: DbSession) -> None:
    """Deactivate a member and end their sessions; their past reviews stay attributed."""
    service.remove_member(session, principal=principal, user_id=member_id)


@router.get("/invitations", response_model=PageOut[InvitationOut])
def list_invitations(
    principal: ApiPrincipal, session: DbSession, page: Page
) -> PageOut[InvitationOut]:
    principal.require(Permission.MANAGE_TEAM)
    rows = repository.list_invitations(
        session, organization_id=principal.organization_id, page=page
    )
    return page_of(rows, page, InvitationOut.model_validate)


@router.post("/invitations", status_code=status.HTTP_201_CREATED, response_model=InvitationOut)
def invite(body: InvitationCreate, principal: ApiPrincipal, session: DbSession) -> InvitationOut:
    """Invite a teammate by email; the invitation link goes out by mail (or to the outbox)."""
    invitation, _token = service.invite_teammate(
        session, principal=principal, email=body.email, role=body.role
    )
    return InvitationOut.model_validate(invitation)


@router.delete("/invitations/{invitation_id}", response_model=InvitationOut)
def revoke_invitation(
    invitation_id: uuid.UUID, principal: ApiPrincipal, session: DbSession
) -> InvitationOut:
    return InvitationOut.model_validate(
        service.revoke_invitation(session, principal=principal, invitation_id=invitation_id)
    )


@router.get("/api-keys", response_model=PageOut[ApiKeyOut])
def list_api_keys(principal: ApiPrincipal, session: DbSession, page: Page) -> PageOut[ApiKeyOut]:
    principal.require(Permission.MANAGE_API_KEYS)
    rows = repository.list_api_keys(session, organization_id=principal.organization_id, page=page)
    return page_of(rows, page, ApiKeyOut.model_validate)


@router.post("/api-keys", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated)
def create_api_key(
    body: ApiKeyCreate, principal: ApiPrincipal, session: DbSession
) -> ApiKeyCreated:
    """Create a key. The secret is in this response only; Assay keeps just its digest."""
    api_key, secret = service.create_api_key(
        session, principal=principal, name=body.name, role=body.role
    )
    return ApiKeyCreated.model_validate(
        {**ApiKeyOut.model_validate(api_key).model_dump(), "key": secret}
    )


@router.get("/api-keys/{key_id}", response_model=ApiKeyOut)
def get_api_key(key_id: uuid.UUID, principal: ApiPrincipal, session: DbSession) -> ApiKeyOut:
    return ApiKeyOut.model_validate(
        service.get_api_key_or_raise(session, principal=principal, key_id=key_id)
    )


@router.delete("/api-keys/{key_id}", response_model=ApiKeyOut)
def revoke_api_key(key_id: uuid.UUID, principal: ApiPrincipal, session: DbSession) -> ApiKeyOut:
    return ApiKeyOut.model_validate(
        service.revoke_api_key(session, principal=principal, key_id=key_id)
    )
