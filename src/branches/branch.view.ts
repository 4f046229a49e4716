import type { Branch } from './branch.entity';

export const toBranchSummary = (branch: Branch) => ({ code: branch.code, name: branch.name });

export const toBranchView = (branch: Branch) => ({
  id: branch.id,
  code: branch.code,
  name: branch.name,
  postcodes: branch.postcodes,
  contactEmail: branch.contactEmail,
  active: branch.active,
  fallback: branch.fallback,
});
