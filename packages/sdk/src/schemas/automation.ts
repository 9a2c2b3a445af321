// Per-app automation (F17): what push automation and schedules do for this app.
import { z } from 'zod';
import { definedOnly, optionalFields } from './patch.js';

const CRON_RANGES: readonly [number, number][] = [
  [0, 59], // minute
  [0, 23], // hour
  [1, 31], // day of month
  [1, 12], // month
  [0, 7], // day of week (0 and 7 are Sunday)
];

/** A five-field cron expression of numbers, ranges, lists, steps and `*` (no names, no macros). */
export function isCronExpression(value: string): boolean {
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 5) return false;
  return fields.every((field, index) => {
    const [min, max] = CRON_RANGES[index] as [number, number];
    return field.split(',').every((part) => {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!match) return false;
      const [, , from, to, step] = match;
      const inRange = (n: string | undefined) => n === undefined || (Number(n) >= min && Number(n) <= max);
      if (step !== undefined && Number(step) < 1) return false;
      if (from !== undefined && to !== undefined && Number(from) > Number(to)) return false;
      return inRange(from) && inRange(to);
    });
  });
}

const moduleName = z
  .string()
  .regex(/^[a-z0-9_]{1,128}$/, { error: 'expected an Odoo module name such as "sale_stock"' });
const moduleList = z
  .array(moduleName)
  .max(500)
  .refine((list) => new Set(list).size === list.length, { error: 'each module at most once' });

const autoBackupFields = {
  enabled: z.boolean(),
  cron: z
    .string()
    .refine(isCronExpression, { error: 'expected a five-field cron expression such as "0 3 * * *"' }),
  retentionDays: z.number().int().min(1).max(3650),
};

const addonsFields = {
  mode: z.enum(['all', 'select']),
  /** With mode "select": the modules to install. */
  selected: moduleList,
};

const automationFields = {
  /** Install the branch's addons automatically on deploy. */
  autoInstall: z.boolean(),
  /** Skip this app in all push automation (manual Deploy / Update still work). */
  restrictAutoUpdate: z.boolean(),
  /** Last day the app should live (YYYY-MM-DD); non-production apps only. */
  deadline: z.iso.date({ error: 'expected a date such as "2025-12-31"' }).nullable(),
  excludedAddons: moduleList,
  /** Run coverage analysis on test runs. */
  coverage: z.boolean(),
  /** Start from a clean database on deploy (non-production workflows). */
  cleanDatabase: z.boolean(),
};

function checkAddons(value: { addons?: { mode?: string; selected?: string[] } }, ctx: z.RefinementCtx) {
  if (value.addons?.mode === 'select' && value.addons.selected?.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['addons', 'selected'],
      message: 'select at least one addon, or use mode "all"',
    });
  }
}

export const automationSettingsSchema = z
  .strictObject({
    ...automationFields,
    autoBackup: z.strictObject(autoBackupFields),
    addons: z.strictObject(addonsFields),
  })
  .superRefine(checkAddons);
export type AutomationSettings = z.output<typeof automationSettingsSchema>;

/** Automation changes: any subset; autoBackup and addons merge field by field. */
export const updateAutomationInputSchema = optionalFields(automationFields).extend({
  autoBackup: optionalFields(autoBackupFields).optional(),
  addons: optionalFields(addonsFields).optional(),
});
export type UpdateAutomationInput = z.input<typeof updateAutomationInputSchema>;

export const DEFAULT_AUTOMATION: Readonly<AutomationSettings> = Object.freeze<AutomationSettings>({
  autoInstall: false,
  restrictAutoUpdate: false,
  autoBackup: { enabled: false, cron: '0 3 * * *', retentionDays: 7 },
  deadline: null,
  addons: { mode: 'all', selected: [] },
  excludedAddons: [],
  coverage: false,
  cleanDatabase: false,
});

export function mergeAutomation(
  base: AutomationSettings,
  patch: z.output<typeof updateAutomationInputSchema>,
): AutomationSettings {
  const { autoBackup, addons, ...top } = patch;
  return {
    ...base,
    ...definedOnly(top),
    autoBackup: { ...base.autoBackup, ...definedOnly(autoBackup) },
    addons: { ...base.addons, ...definedOnly(addons) },
  };
}

export const DEADLINE_PRODUCTION_ONLY =
  'A deadline applies to non-production apps only: leave deadline null for apps in a production environment.';
