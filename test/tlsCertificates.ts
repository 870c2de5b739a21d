import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCertificates {
  /** The CA's certificate file (PEM), for --origin-ca or NODE_EXTRA_CA_CERTS. */
  caFile: string;
  ca: string;
  /** A server certificate the CA signed for 127.0.0.1 and localhost, and its key (PEM). */
  cert: string;
  key: string;
}

/** A throwaway CA and a server certificate it signed, made with openssl in `dir` (no key is ever committed). */
export function makeTestCertificates(dir: string): TestCertificates {
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", ...ec, "-keyout", at("ca.key"), "-out", at("ca.pem"), "-days", "2", "-subj", "/CN=edgelite test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
  openssl("req", ...ec, "-keyout", at("server.key"), "-out", at("server.csr"), "-subj", "/CN=127.0.0.1");
  writeFileSync(at("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n");
  openssl("x509", "-req", "-in", at("server.csr"), "-CA", at("ca.pem"), "-CAkey", at("ca.key"), "-CAcreateserial", "-out", at("server.pem"), "-days", "2", "-extfile", at("server.ext"));
  return { caFile: at("ca.pem"), ca: readFileSync(at("ca.pem"), "utf8"), cert: readFileSync(at("server.pem"), "utf8"), key: readFileSync(at("server.key"), "utf8") };
}
