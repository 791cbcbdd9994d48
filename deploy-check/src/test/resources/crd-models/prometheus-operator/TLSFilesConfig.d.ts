import { ModelData, Model } from "@kubernetes-models/base";
/**
 * TLSFilesConfig extends the TLS configuration with file parameters.
 */
export interface ITLSFilesConfig {
    /**
     * caFile defines the path to the CA cert in the Prometheus container to use for the targets.
     */
    "caFile"?: string;
    /**
     * certFile defines the path to the client cert file in the Prometheus container for the targets.
     */
    "certFile"?: string;
    /**
     * keyFile defines the path to the client key file in the Prometheus container for the targets.
     */
    "keyFile"?: string;
}
/**
 * TLSFilesConfig extends the TLS configuration with file parameters.
 */
export declare class TLSFilesConfig extends Model<ITLSFilesConfig> implements ITLSFilesConfig {
    "caFile"?: string;
    "certFile"?: string;
    "keyFile"?: string;
    constructor(data?: ModelData<ITLSFilesConfig>);
}
export type { ITLSFilesConfig as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSFilesConfig, TLSFilesConfig as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1TLSFilesConfig };
