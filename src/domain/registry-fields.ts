/**
 * The registry fields every design spec has, frequentist or bandit: name, description, design link and
 * dates. A module of its own because `design-spec.ts` imports the bandit specs, which need these too.
 */
import { z } from 'zod';

const httpUrl = z
  .string()
  .max(500)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL with a host');

export const registryFields = {
  experiment_name: z.string().min(1).max(100),
  description: z.string().max(2000).default(''),
  design_url: z.union([httpUrl, z.literal('')]).nullish(),
  start_date: z.iso.datetime({ offset: true }),
  end_date: z.iso.datetime({ offset: true }),
};
