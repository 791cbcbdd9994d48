import { ModelData, Model } from "@kubernetes-models/base";
export interface IAttachMetadata {
    /**
     * node when set to true, Prometheus attaches node metadata to the discovered
     * targets.
     *
     * The Prometheus service account must have the `list` and `watch`
     * permissions on the `Nodes` objects.
     */
    "node"?: boolean;
}
export declare class AttachMetadata extends Model<IAttachMetadata> implements IAttachMetadata {
    "node"?: boolean;
    constructor(data?: ModelData<IAttachMetadata>);
}
export type { IAttachMetadata as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1AttachMetadata, AttachMetadata as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1AttachMetadata };
