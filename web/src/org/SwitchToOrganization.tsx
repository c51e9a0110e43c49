/** "Current" for the selected organization, else a button that selects it (settings and instance admin lists). */
import { Button } from '../ui/Button.tsx';
import { Badge } from '../ui/Callout.tsx';
import { useToast } from '../ui/Toast.tsx';
import { useOrganization } from './organization.tsx';

export function SwitchToOrganization({ organization }: { organization: { readonly id: string; readonly name: string } }) {
  const { current, select } = useOrganization();
  const toast = useToast();
  if (organization.id === current.id) return <Badge tone="info">Current</Badge>;
  return (
    <Button
      size="small"
      aria-label={`Switch to ${organization.name}`}
      onClick={() => {
        select(organization.id);
        toast(`Switched to ${organization.name}`);
      }}
    >
      Switch
    </Button>
  );
}
