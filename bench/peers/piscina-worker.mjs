// A no-op for piscina, the single-machine thread pool taskloaf is compared with.
export default function noop() {
  return 0;
}
