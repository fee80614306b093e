import { AddUserForm } from "./add-user-form";
import { UsersTable } from "./users-table";

export function UsersPanel({ currentUserId }: { currentUserId: number }) {
  return (
    <div className="stack">
      <div>
        <h2>Users</h2>
        <p className="muted">Admins can change settings and manage users; viewers can only look.</p>
      </div>
      <AddUserForm />
      <UsersTable currentUserId={currentUserId} />
    </div>
  );
}
