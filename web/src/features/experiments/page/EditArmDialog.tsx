/**
 * Renaming or re-describing one arm of a committed experiment, in a dialog opened from the arms table. The
 * arm id does not change, so backends and stored assignments are unaffected; only what people read does.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../../api/errors.ts';
import { Button } from '../../../ui/Button.tsx';
import { ErrorCallout } from '../../../ui/Callout.tsx';
import { Dialog } from '../../../ui/Dialog.tsx';
import { TextAreaField, TextField } from '../../../ui/Field.tsx';
import { useToast } from '../../../ui/Toast.tsx';
import type { ArmSpec, ExperimentConfig } from '../api-types.ts';
import { ARM_DESCRIPTION_MAX, ARM_NAME_MAX, armFormOf, armPatch, armProblems, type ArmForm } from './arm-edit.ts';
import { useUpdateArm } from './experiment-mutations.ts';

export function EditArmDialog({ config, arm, onClose }: { config: ExperimentConfig; arm: ArmSpec | null; onClose: () => void }) {
  const toast = useToast();
  const save = useUpdateArm(config.datasource_id, config.experiment_id);
  const [form, setForm] = useState<ArmForm>({ name: '', description: '' });
  const [submitted, setSubmitted] = useState(false);
  const formId = `arm-form-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const { reset } = save;

  useEffect(() => {
    if (arm) {
      setForm(armFormOf(arm));
      setSubmitted(false);
      reset();
    }
  }, [arm, reset]);

  const others = config.design_spec.arms.filter((a) => a.arm_id !== arm?.arm_id);
  const problems = armProblems(form, others);
  const serverError = save.error instanceof ApiError ? save.error : null;
  const errorFor = (field: keyof ArmForm) => serverError?.fieldMessage(field) ?? (submitted ? problems[field] : undefined);
  // Problems the form cannot place next to a field: the experiment is no longer committed, the arm is gone, the server failed.
  const general = save.isError && !(serverError && serverError.fields.some((f) => f.path === 'name' || f.path === 'description')) ? save.error : null;

  const set = (patch: Partial<ArmForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    save.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!arm?.arm_id || Object.keys(problems).length > 0) return;
    const patch = armPatch(arm, form);
    if (Object.keys(patch).length === 0) return onClose();
    save.mutate(
      { armId: arm.arm_id, patch },
      {
        onSuccess: () => {
          toast(`Arm “${patch.name ?? arm.arm_name}” saved.`);
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      open={arm !== null}
      title={arm ? `Edit arm “${arm.arm_name}”` : ''}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" busy={save.isPending}>
            Save arm
          </Button>
        </>
      }
    >
      <form id={formId} className="stack" onSubmit={submit} noValidate>
        <TextField
          label="Name"
          required
          maxLength={ARM_NAME_MAX}
          value={form.name}
          error={errorFor('name')}
          hint="Shown in the results, the downloads and the sample calls. The arm id stays the same, so your backend needs no change."
          onChange={(e) => set({ name: e.target.value })}
          data-autofocus
        />
        <TextAreaField label="Description" maxLength={ARM_DESCRIPTION_MAX} value={form.description} error={errorFor('description')} onChange={(e) => set({ description: e.target.value })} />
        {general && <ErrorCallout title="The arm could not be saved" error={general} />}
      </form>
    </Dialog>
  );
}
