export * from './options/index.js';
export * from './projen/index.js';
export { MARKER } from './render/marker.js';
export { render, renderResolved, outputPath, type RenderContext } from './render/render.js';
export type { FileOwner, RenderedFile } from './render/rendered-file.js';
export type { EnvironmentData, TemplateData } from './render/template-data.js';
