/** The image every end-to-end test runs: busybox httpd, stopping at once on SIGTERM; built locally by global-setup. */
export const TEST_IMAGE = 'shoal-demo:1';
