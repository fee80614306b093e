import { useId, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { formatList, parseList } from "@/lib/format";
import { useKnownRepositories, useSaveTeam, type Team } from "../api";

export interface TeamFormProps {
  team: Team | null;
  onDone: (saved: Team) => void;
  onCancel?: () => void;
}

/** Create or edit a team: name, description, members by login and repositories. */
export function TeamForm({ team, onDone, onCancel }: TeamFormProps) {
  const [name, setName] = useState(team?.name ?? "");
  const [description, setDescription] = useState(team?.description ?? "");
  const [members, setMembers] = useState(formatList(team?.members.map((member) => member.login) ?? []));
  const [repositories, setRepositories] = useState<string[]>(team?.repositories.map((repo) => repo.full_name) ?? []);
  const [nameError, setNameError] = useState<string | null>(null);
  const known = useKnownRepositories();
  const save = useSaveTeam();
  const legendId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim() === "") {
      setNameError("Give the team a name.");
      return;
    }
    setNameError(null);
    save.mutate(
      {
        id: team?.id ?? null,
        team: { name: name.trim(), description: description.trim() || null, members: parseList(members), repositories },
      },
      { onSuccess: onDone },
    );
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field
        label="Team name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={nameError}
        required
      />
      <Field label="Description" value={description} onChange={(event) => setDescription(event.target.value)} />
      <Field
        label="Members"
        hint="GitHub logins, separated by commas."
        value={members}
        onChange={(event) => setMembers(event.target.value)}
      />
      <fieldset className="checkbox-group">
        <legend id={legendId}>Repositories</legend>
        {known.data?.length === 0 ? <p className="muted small">No repositories known yet.</p> : null}
        {(known.data ?? []).map((repository) => (
          <label key={repository.id} className="picker-option">
            <input
              type="checkbox"
              checked={repositories.includes(repository.full_name)}
              onChange={(event) =>
                setRepositories((current) =>
                  event.target.checked
                    ? [...current, repository.full_name]
                    : current.filter((item) => item !== repository.full_name),
                )
              }
            />
            {repository.full_name}
          </label>
        ))}
      </fieldset>
      {save.isError ? <ErrorAlert error={save.error} title="Cannot save the team" /> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {team ? "Save team" : "Create team"}
        </Button>
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
      </div>
    </form>
  );
}
