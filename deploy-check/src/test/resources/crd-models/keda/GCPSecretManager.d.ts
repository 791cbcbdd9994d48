import { IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPCredentials } from "./GCPCredentials.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity } from "./AuthPodIdentity.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManagerSecret } from "./GCPSecretManagerSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IGCPSecretManager {
    "credentials"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPCredentials;
    "podIdentity"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity;
    "secrets": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManagerSecret>;
}
export declare class GCPSecretManager extends Model<IGCPSecretManager> implements IGCPSecretManager {
    "credentials"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPCredentials;
    "podIdentity"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity;
    "secrets": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManagerSecret>;
    constructor(data?: ModelData<IGCPSecretManager>);
}
export type { IGCPSecretManager as IComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManager, GCPSecretManager as ComGithubKedacoreKedaV2ApisKedaV1alpha1GCPSecretManager };
