export { countAnnotations } from './count-annotations.js';
