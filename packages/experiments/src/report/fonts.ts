/** Font families the report's SVGs ask for, first match wins (DejaVu ships with Debian). */
export const SVG_FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';
