import { SetupForm } from "@/features/auth/components/setup-form";
import { AuthLayout } from "./auth-layout";
import { usePageTitle } from "./use-page-title";

export function SetupPage() {
  usePageTitle("Create the admin account");
  return (
    <AuthLayout
      title="Create the admin account"
      intro="Welcome to Veelocity. This first account is an admin: it connects sources and invites the rest of the team."
    >
      <SetupForm />
    </AuthLayout>
  );
}
