import { LoginForm } from "@/features/auth/components/login-form";
import { AuthLayout } from "./auth-layout";
import { usePageTitle } from "./use-page-title";

export function LoginPage() {
  usePageTitle("Sign in");
  return (
    <AuthLayout title="Sign in">
      <LoginForm />
    </AuthLayout>
  );
}
