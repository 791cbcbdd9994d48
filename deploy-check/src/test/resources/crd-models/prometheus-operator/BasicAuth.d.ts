import { IIoK8sApiCoreV1SecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * BasicAuth configures HTTP Basic Authentication settings.
 */
export interface IBasicAuth {
    /**
     * password defines a key of a Secret containing the password for
     * authentication.
     */
    "password"?: IIoK8sApiCoreV1SecretKeySelector;
    /**
     * username defines a key of a Secret containing the username for
     * authentication.
     */
    "username"?: IIoK8sApiCoreV1SecretKeySelector;
}
/**
 * BasicAuth configures HTTP Basic Authentication settings.
 */
export declare class BasicAuth extends Model<IBasicAuth> implements IBasicAuth {
    "password"?: IIoK8sApiCoreV1SecretKeySelector;
    "username"?: IIoK8sApiCoreV1SecretKeySelector;
    constructor(data?: ModelData<IBasicAuth>);
}
export type { IBasicAuth as IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth, BasicAuth as ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1BasicAuth };
