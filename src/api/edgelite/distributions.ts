import { jsonReply, type Operation } from "../operation.js";

/**
 * `GET /_edgelite/distributions`: edgelite's own listing of where each distribution is served locally —
 * what CloudFront's Distribution XML has no field for (its own port under `serve --distribution-ports`).
 * Under /_edgelite/ like the health check, answered as the API is (same hosts, --cors and --auth rules;
 * signed for the `cloudfront` service), errors in CloudFront's XML. `edgelite ls` reads it.
 *
 * `{"Distributions":[{"Id","DomainName","Enabled","EdgePort"}]}`, EdgePort absent when it has no port.
 */
export const listEdgeliteDistributions: Operation = {
  name: "EdgeliteListDistributions",
  method: "GET",
  path: "/_edgelite/distributions",
  async handle(_request, { distributions }) {
    const items: Array<{ Id: string; DomainName: string; Enabled: boolean; EdgePort?: number }> = [];
    for await (const view of distributions.views()) {
      const edgePort = distributions.edgePortOf(view.id);
      items.push({ Id: view.id, DomainName: view.domainName, Enabled: view.enabled, ...(edgePort !== undefined ? { EdgePort: edgePort } : {}) });
    }
    return jsonReply(200, { Distributions: items });
  },
};
