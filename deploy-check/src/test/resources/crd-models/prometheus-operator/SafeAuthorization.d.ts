import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * SafeAuthorization specifies a subset of the Authorization struct, that is
 * safe for use because it doesn't provide access to the Prometheus container's
 * filesystem.
 */
export interface ISafeAuthorization {
    /**
     * credentials defines a key of a Secret in the namespace that contains the credentials for authentication.
     */
    "credentials"?: IIoK8sApiCoreV1SecretKeySelector;
    /**
     * type defines the authentication type. The value is case-insensitive.
     *
     * "Basic" is not a supported value.
     *
     * Default: "Bearer"
     */
    "type"?: string;
}
/**
 * SafeAuthorization specifies a subset of the Authorization struct, that is
 * safe for use because it doesn't provide access to the Prometheus container's
 * filesystem.
 */
export declare class SafeAuthorization extends Model<ISafeAuthorization> implements ISafeAuthorization {
    "credentials"?: IIoK8sApiCoreV1SecretKeySelector;
    "type"?: string;
    constructor(data?: ModelData<ISafeAuthorization>);
}
export type { ISafeAuthorization as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization, SafeAuthorization as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1SafeAuthorization };
