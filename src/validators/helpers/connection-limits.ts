// Where PostgreSQL's connection limits are derived: one place, shared with the session ceilings.
export { reservedForRoles } from '../../model/ceilings.js';
