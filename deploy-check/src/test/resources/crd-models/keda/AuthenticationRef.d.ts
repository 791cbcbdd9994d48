import { ModelData, Model } from "@kubernetes-models/base";
/**
 * AuthenticationRef points to the TriggerAuthentication or ClusterTriggerAuthentication object that
 * is used to authenticate the scaler with the environment
 */
export interface IAuthenticationRef {
    /**
     * Kind of the resource being referred to. Defaults to TriggerAuthentication.
     */
    "kind"?: string;
    "name": string;
}
/**
 * AuthenticationRef points to the TriggerAuthentication or ClusterTriggerAuthentication object that
 * is used to authenticate the scaler with the environment
 */
export declare class AuthenticationRef extends Model<IAuthenticationRef> implements IAuthenticationRef {
    "kind"?: string;
    "name": string;
    constructor(data?: ModelData<IAuthenticationRef>);
}
export type { IAuthenticationRef as IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthenticationRef, AuthenticationRef as ComGithubKedacoreKedaV2ApisKedaV1alpha1AuthenticationRef };
