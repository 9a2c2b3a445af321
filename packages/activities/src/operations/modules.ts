/** The addons an operation installs or updates, as the app's automation settings say (F17). */
export function selectModules(
  modules: readonly string[],
  automation: { addons: { mode: 'all' | 'select'; selected: string[] }; excludedAddons: string[] },
): string[] {
  const excluded = new Set(automation.excludedAddons);
  const wanted = automation.addons.mode === 'select' ? new Set(automation.addons.selected) : null;
  return modules.filter((name) => !excluded.has(name) && (wanted === null || wanted.has(name)));
}
