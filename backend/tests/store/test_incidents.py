"""Incidents upsert by (source, external_id) and may name the deployment that caused them."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.store.conftest import make_deployment, make_incident
from veelocity.models import Deployment, Incident
from veelocity.records import DeploymentReference
from veelocity.store import UnknownDeployment, write_deployments, write_incidents


def test_an_incident_links_the_deployment_it_names(session: Session) -> None:
    write_deployments(session, [make_deployment()])
    deployment_id = session.scalars(select(Deployment.id)).one()

    report = write_incidents(
        session, [make_incident(deployment=DeploymentReference("jenkins", "deploy-api-1"))]
    )

    incident = session.scalars(select(Incident)).one()
    assert (report.created, report.changes.incident_ids) == (1, {incident.id})
    assert incident.caused_by_deployment_id == deployment_id
    assert incident.repository_id is not None


def test_an_unknown_deployment_is_refused_with_the_record_position(session: Session) -> None:
    write_deployments(session, [make_deployment()])
    with pytest.raises(UnknownDeployment) as raised:
        write_incidents(
            session,
            [
                make_incident(external_id="P1"),
                make_incident(external_id="P2", deployment=DeploymentReference("jenkins", "nope")),
            ],
        )
    assert raised.value.position == 1
    assert "'nope'" in raised.value.message
    assert session.scalars(select(Incident)).all() == []


def test_a_service_incident_needs_no_repository(session: Session) -> None:
    write_incidents(session, [make_incident(repository=None, service="payments")])
    incident = session.scalars(select(Incident)).one()
    assert (incident.repository_id, incident.service) == (None, "payments")


def test_resolving_an_incident_later_updates_it(session: Session) -> None:
    write_incidents(session, [make_incident(resolved_at=None)])
    report = write_incidents(session, [make_incident()])
    assert (report.created, report.updated) == (0, 1)
    assert session.scalars(select(Incident.resolved_at)).one() is not None
