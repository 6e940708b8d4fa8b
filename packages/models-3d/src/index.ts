export { levelFilters } from './filters.js';
