// Vite handles CSS imports in the renderer bundle.
declare module '*.css';
