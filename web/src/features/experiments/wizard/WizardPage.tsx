/**
 * `/experiments/new`: the experiment wizard. It resumes whatever this browser was doing for the current
 * organization — a design being edited, or a draft waiting to be committed — and switches between the
 * editing phase (`WizardEditor`) and the server-draft phase (`DraftReview`).
 */
import { useState } from 'react';
import { useOrganization } from '../../../org/organization.tsx';
import { todayUtc } from '../status.ts';
import { clearWizard, loadWizard, saveWizard, type StoredWizard } from './persistence.ts';
import { DraftReview } from './DraftReview.tsx';
import { initialState, type WizardState } from './state.ts';
import { WizardEditor } from './WizardEditor.tsx';

export function WizardPage() {
  const { current } = useOrganization();
  const organizationId = current.id;
  const today = todayUtc();
  const [stored, setStored] = useState<StoredWizard>(() => loadWizard(localStorage, organizationId, today) ?? { phase: 'editing', state: initialState(today) });
  // A new editor (fresh reducer) whenever the design is replaced from outside: start over, change design.
  const [generation, setGeneration] = useState(0);

  const edit = (state: WizardState) => {
    saveWizard(localStorage, organizationId, { phase: 'editing', state });
    setStored({ phase: 'editing', state });
    setGeneration((g) => g + 1);
  };
  const restart = () => {
    clearWizard(localStorage, organizationId);
    edit(initialState(today));
  };

  if (stored.phase === 'draft') {
    return (
      <DraftReview
        organizationId={organizationId}
        datasourceId={stored.datasourceId}
        experimentId={stored.experimentId}
        today={today}
        onEditAgain={edit}
        onForget={() => clearWizard(localStorage, organizationId)}
        onRestart={restart}
      />
    );
  }
  return (
    <WizardEditor
      key={generation}
      focusOnMount={generation > 0}
      organizationId={organizationId}
      initial={stored.state}
      onStartOver={restart}
      onCreated={(config) => {
        const draft: StoredWizard = { phase: 'draft', datasourceId: config.datasource_id, experimentId: config.experiment_id };
        saveWizard(localStorage, organizationId, draft);
        setStored(draft);
      }}
    />
  );
}
