import { useState } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useDeleteTeam, useTeams, type Team } from "../api";
import { TeamForm } from "./team-form";

/** Teams with their members and repositories; admins create, edit and delete them. */
export function TeamsPanel({ isAdmin, onShowTeam }: { isAdmin: boolean; onShowTeam: (id: number) => void }) {
  const teams = useTeams();
  const remove = useDeleteTeam();
  const [editing, setEditing] = useState<Team | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Card
      title="Teams"
      actions={
        isAdmin && editing === null ? (
          <Button size="sm" variant="primary" onClick={() => setEditing("new")}>
            New team
          </Button>
        ) : null
      }
    >
      {notice ? <Alert variant="success">{notice}</Alert> : null}
      {editing !== null ? (
        <TeamForm
          team={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onDone={(saved) => {
            setEditing(null);
            setNotice(`Saved team ${saved.name}.`);
          }}
        />
      ) : null}
      {teams.isPending ? <LoadingBlock label="Loading teams…" /> : null}
      {teams.isError ? <ErrorAlert error={teams.error} onRetry={() => void teams.refetch()} /> : null}
      {remove.isError ? <ErrorAlert error={remove.error} title="Cannot delete the team" /> : null}
      {teams.data?.items.length === 0 ? (
        <p className="empty">No teams yet.{isAdmin ? " Create one to see its metrics on every page." : ""}</p>
      ) : null}
      {teams.data && teams.data.items.length > 0 ? (
        <ul className="team-list">
          {teams.data.items.map((team) => (
            <li key={team.id} className="team-item">
              <div>
                <h3 className="team-name">{team.name}</h3>
                {team.description ? <p className="muted small">{team.description}</p> : null}
                <p className="small">
                  {team.members.length} {team.members.length === 1 ? "member" : "members"}
                  {team.members.length > 0 ? `: ${team.members.map((member) => member.login).join(", ")}` : ""}
                </p>
                <p className="small muted">
                  {team.repositories.length > 0
                    ? team.repositories.map((repository) => repository.full_name).join(", ")
                    : "No repositories"}
                </p>
              </div>
              <div className="row-actions">
                <Button size="sm" onClick={() => onShowTeam(team.id)} aria-label={`Show metrics for ${team.name}`}>
                  Show metrics
                </Button>
                {isAdmin ? (
                  <>
                    <Button size="sm" onClick={() => setEditing(team)} aria-label={`Edit ${team.name}`}>
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="danger"
                      busy={remove.isPending && remove.variables === team.id}
                      onClick={() => {
                        if (window.confirm(`Delete the team ${team.name}? Its developers and repositories stay.`)) {
                          remove.mutate(team.id, { onSuccess: () => setNotice(`Deleted team ${team.name}.`) });
                        }
                      }}
                      aria-label={`Delete ${team.name}`}
                    >
                      Delete
                    </Button>
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
