export { CatalogError } from './errors.mjs';
export { catalogPath, readCatalog } from './catalog-file.mjs';
export { CatalogLoader, fallbackChain } from './loader.mjs';
export { formatMessage } from './format.mjs';
export { createTranslator } from './translator.mjs';
