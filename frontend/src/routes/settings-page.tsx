import { useSearchParams } from "react-router-dom";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Tabs, type TabItem } from "@/components/ui/tabs";
import { AuditLog } from "@/features/audit/components/audit-log";
import { useCurrentUser } from "@/features/auth/api";
import { ChangePasswordForm } from "@/features/auth/components/change-password-form";
import { IngestTokensPanel } from "@/features/ingest-tokens/components/ingest-tokens-panel";
import { DeploymentPatternsPanel } from "@/features/settings/components/deployment-patterns-form";
import { IncidentPatternsPanel } from "@/features/settings/components/incident-patterns-form";
import { SourcesPanel } from "@/features/settings/components/sources-panel";
import { SentrySettings } from "@/features/sentry/components/sentry-settings";
import { UsersPanel } from "@/features/users/components/users-panel";
import { usePageTitle } from "./use-page-title";

type SettingsTab = "sources" | "deployments" | "incidents" | "sentry" | "users" | "ingest" | "audit" | "account";

const allTabs: readonly (TabItem<SettingsTab> & { adminOnly: boolean })[] = [
  { id: "sources", label: "Sources", adminOnly: false },
  { id: "deployments", label: "Deployment patterns", adminOnly: false },
  { id: "incidents", label: "Incident patterns", adminOnly: false },
  { id: "sentry", label: "Sentry", adminOnly: false },
  { id: "users", label: "Users", adminOnly: true },
  { id: "ingest", label: "Ingest tokens", adminOnly: true },
  { id: "audit", label: "Audit log", adminOnly: true },
  { id: "account", label: "Account", adminOnly: false },
];

function readPage(value: string | null): number {
  const page = Number.parseInt(value ?? "", 10);
  return Number.isFinite(page) && page > 0 ? page : 1;
}

/** Settings; the open tab and the audit page live in the URL (?tab=audit&page=2). */
export function SettingsPage() {
  usePageTitle("Settings");
  const user = useCurrentUser();
  const isAdmin = user.role === "admin";
  const [params, setParams] = useSearchParams();
  const tabs = allTabs.filter((tab) => isAdmin || !tab.adminOnly);
  const requested = params.get("tab");
  const tab = tabs.find((item) => item.id === requested)?.id ?? "sources";
  const auditPage = readPage(params.get("page"));

  function selectTab(next: SettingsTab) {
    setParams(next === "sources" ? {} : { tab: next }, { replace: true });
  }

  return (
    <>
      <h1>Settings</h1>
      {isAdmin ? null : (
        <Alert variant="info" role="note">
          Only admins can change settings.
        </Alert>
      )}
      <Tabs label="Settings sections" items={tabs} value={tab} onChange={selectTab}>
        {tab === "sources" ? <SourcesPanel readOnly={!isAdmin} /> : null}
        {tab === "deployments" ? <DeploymentPatternsPanel readOnly={!isAdmin} /> : null}
        {tab === "incidents" ? <IncidentPatternsPanel readOnly={!isAdmin} /> : null}
        {tab === "sentry" ? <SentrySettings readOnly={!isAdmin} /> : null}
        {tab === "users" && isAdmin ? <UsersPanel currentUserId={user.id} /> : null}
        {tab === "ingest" && isAdmin ? <IngestTokensPanel /> : null}
        {tab === "audit" && isAdmin ? (
          <AuditLog page={auditPage} onPageChange={(page) => setParams({ tab: "audit", page: String(page) })} />
        ) : null}
        {tab === "account" ? (
          <Card title="Change password" description={`Signed in as ${user.email}.`}>
            <ChangePasswordForm />
          </Card>
        ) : null}
      </Tabs>
    </>
  );
}
