import { IComGithubKedacoreKedaV2ApisKedaV1alpha1PodIdentityProvider } from "./PodIdentityProvider.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * AuthPodIdentity allows users to select the platform native identity
 * mechanism
 */
export interface IAuthPodIdentity {
    /**
     * Set identityAuthorityHost to override the default Azure authority host. If this is set, then the IdentityTenantID must also be set
     */
    "identityAuthorityHost"?: string;
    "identityId"?: string;
    /**
     * IdentityOwner configures which identity has to be used during auto discovery, keda or the scaled workload. Mutually exclusive with roleArn
     */
    "identityOwner"?: "keda" | "workload";
    /**
     * Set identityTenantId to override the default Azure tenant id. If this is set, then the IdentityID must also be set
     */
    "identityTenantId"?: string;
    "provider": IComGithubKedacoreKedaV2ApisKedaV1alpha1PodIdentityProvider;
    /**
     * RoleArn sets the AWS RoleArn to be used. Mutually exclusive with IdentityOwner
     */
    "roleArn"?: string;
}
/**
 * AuthPodIdentity allows users to select the platform native identity
 * mechanism
 */
export declare class AuthPodIdentity extends Model<IAuthPodIdentity> implements IAuthPodIdentity {
    "identityAuthorityHost"?: string;
    "identityId"?: string;
    "identityOwner"?: "keda" | "workload";
    "identityTenantId"?: string;
    "provider": IComGithubKedacoreKedaV2ApisKedaV1alpha1PodIdentityProvider;
    "roleArn"?: string;
    constructor(data?: ModelData<IAuthPodIdentity>);
}
export type { IAuthPodIdentity as IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity, AuthPodIdentity as ComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity };
