/** No test writes into the user's cache folder: paging hints (core/hints.ts) are off for the suite and every process
 * it starts, unless a test points CLOUDIMAGES_CACHE_DIR at a temporary folder of its own. */
process.env.CLOUDIMAGES_CACHE_DIR = 'off';
